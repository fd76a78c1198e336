import configureOpenAPI from "./lib/configure-open-api";
import createApp, { createRouter } from "./lib/create-app";
import tasks from "./tasks/tasks.index";

const root = createRouter().get("/", (c) => c.json({ message: "tasks api" }));

const app = createApp();
configureOpenAPI(app);

const routes = [root, tasks] as const;
routes.forEach((route) => {
  app.route("/", route);
});

export default app;
