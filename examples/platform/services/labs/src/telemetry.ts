import { NodeSDK } from "@opentelemetry/sdk-node";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BatchLogRecordProcessor } from "@opentelemetry/sdk-logs";
import * as Sentry from "@sentry/node";
import { Resource } from "sst";

export const sdk = new NodeSDK({
  resource: resourceFromAttributes({
    [ATTR_SERVICE_NAME]: "labs",
    [ATTR_SERVICE_VERSION]: process.env.APP_VERSION ?? "dev",
    "deployment.environment": Resource.App.stage,
  }),
  traceExporter: new OTLPTraceExporter(),
  metricReader: new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter(),
    exportIntervalMillis: 15_000,
  }),
  logRecordProcessors: [new BatchLogRecordProcessor(new OTLPLogExporter())],
});

sdk.start();

Sentry.init({
  dsn: Resource.LabsSentryDsn.value,
  environment: Resource.App.stage,
  release: process.env.APP_VERSION,
  tracesSampleRate: 0,
});

process.on("SIGTERM", () => {
  void sdk.shutdown();
});
