import type { Context } from "hono";
export async function listThings(c: Context) {
  return c.json([]);
}
export const getThing = (c: Context) => c.json({});
