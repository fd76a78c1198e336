/// <reference path="../.sst/platform/config.d.ts" />

// One VPC and one ECS cluster per stage; every service runs in it.
export const vpc = new sst.aws.Vpc("PlatformVpc", {
  nat: $app.stage === "prod" ? "managed" : "ec2",
  bastion: $app.stage !== "prod",
});

export const cluster = new sst.aws.Cluster("PlatformCluster", { vpc });
