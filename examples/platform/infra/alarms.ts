/// <reference path="../.sst/platform/config.d.ts" />

export type AlarmRoute = "pagerduty" | "slack";

export interface AlarmOptions {
  /** 5xx responses as a percentage of all responses, over 5 minutes. */
  errorRatePercent: number;
  /** p99 of the load balancer's target response time, in milliseconds. */
  latencyP99Ms: number;
  /** Messages visible in the service's dead-letter queue. */
  dlqDepth: number;
  /** Where critical alarms (error rate, DLQ) go. */
  critical: AlarmRoute;
  /** Where warnings (latency) go. */
  warn: AlarmRoute;
}

// Both topics are subscribed outside SST: PagerDuty's CloudWatch integration and the
// #platform-alerts Slack channel (AWS Chatbot).
const topics: Record<AlarmRoute, sst.aws.SnsTopic> = {
  pagerduty: new sst.aws.SnsTopic("AlarmsPagerDuty"),
  slack: new sst.aws.SnsTopic("AlarmsSlack"),
};

export function alarms(name: string, service: sst.aws.Service, opts: AlarmOptions) {
  const lb = service.nodes.loadBalancer.arnSuffix;
  const prefix = `${name}-${$app.stage}`;

  new aws.cloudwatch.MetricAlarm(`${name}ErrorRate`, {
    name: `${prefix}-error-rate`,
    comparisonOperator: "GreaterThanThreshold",
    evaluationPeriods: 1,
    threshold: opts.errorRatePercent,
    treatMissingData: "notBreaching",
    alarmActions: [topics[opts.critical].arn],
    okActions: [topics[opts.critical].arn],
    metricQueries: [
      {
        id: "errors",
        returnData: false,
        metric: {
          namespace: "AWS/ApplicationELB",
          metricName: "HTTPCode_Target_5XX_Count",
          dimensions: { LoadBalancer: lb },
          period: 300,
          stat: "Sum",
        },
      },
      {
        id: "requests",
        returnData: false,
        metric: {
          namespace: "AWS/ApplicationELB",
          metricName: "RequestCount",
          dimensions: { LoadBalancer: lb },
          period: 300,
          stat: "Sum",
        },
      },
      { id: "rate", expression: "100 * errors / MAX([requests, 1])", label: "5xx %", returnData: true },
    ],
  });

  new aws.cloudwatch.MetricAlarm(`${name}LatencyP99`, {
    name: `${prefix}-latency-p99`,
    namespace: "AWS/ApplicationELB",
    metricName: "TargetResponseTime",
    dimensions: { LoadBalancer: lb },
    extendedStatistic: "p99",
    period: 300,
    evaluationPeriods: 3,
    comparisonOperator: "GreaterThanThreshold",
    threshold: opts.latencyP99Ms / 1000,
    treatMissingData: "notBreaching",
    alarmActions: [topics[opts.warn].arn],
  });

  new aws.cloudwatch.MetricAlarm(`${name}DlqDepth`, {
    name: `${prefix}-dlq-depth`,
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: `${prefix}-events-dlq` },
    statistic: "Maximum",
    period: 60,
    evaluationPeriods: 1,
    comparisonOperator: "GreaterThanThreshold",
    threshold: opts.dlqDepth,
    treatMissingData: "notBreaching",
    alarmActions: [topics[opts.critical].arn],
  });
}
