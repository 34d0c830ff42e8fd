import { Kafka, logLevel } from 'kafkajs';

/**
 * A kafkajs client for `KAFKA_BROKERS` (comma-separated). Retries are generous: a broker restart
 * takes the roles' connections away for a few seconds and they must ride it out, not exit.
 */
export function createKafka(brokers: string, clientId: string, options: { quiet?: boolean } = {}) {
  return new Kafka({
    brokers: brokers.split(','),
    clientId,
    logLevel: options.quiet ? logLevel.NOTHING : logLevel.WARN,
    retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 12 },
  });
}
