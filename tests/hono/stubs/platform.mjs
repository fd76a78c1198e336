// Stand-ins for the platform packages the corpus imports (@platform/auth, ...): each middleware
// records that it ran (requireScope records its scope) and calls next().
const ran = () => (globalThis.__ran ??= []);
const mw = (label) => {
  const f = async (c, next) => { ran().push(label); await next(); };
  return f;
};
export const requireScope = (scope) => mw(`scope:${scope}`);
export const requireBaa = () => mw("baa");
export const rateLimit = (cls) => mw(`rate:${cls}`);
export const idempotent = () => mw("idempotent");
export const audit = async () => {};
export const logger = { info() {}, warn() {}, error() {} };
