import type { Context } from "hono";

export const list = (c: Context) => c.json([]);
export const create = (c: Context) => c.json({}, 200);
export const getOne = (c: Context) => c.json({ id: c.req.param("id") });
