import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import type { Config } from '../../config/config';

/**
 * A kafkajs client for `KAFKA_BROKERS` (comma-separated). Retries are generous: a broker restart
 * takes the roles' connections away for a few seconds and they must ride it out, not exit.
 */
export function createKafka(brokers: string, clientId: string, options: { quiet?: boolean; sasl?: SASLOptions } = {}) {
  return new Kafka({
    brokers: brokers.split(','),
    clientId,
    ...(options.sasl ? { sasl: options.sasl } : {}),
    logLevel: options.quiet ? logLevel.NOTHING : logLevel.WARN,
    retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 12 },
  });
}

/** SASL credentials from KAFKA_SASL_MECHANISM/USERNAME/PASSWORD; none without a mechanism. */
export function kafkaSaslOf(config: Pick<Config, 'KAFKA_SASL_MECHANISM' | 'KAFKA_SASL_USERNAME' | 'KAFKA_SASL_PASSWORD'>): SASLOptions | undefined {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  if (!mechanism) return undefined;
  if (!username || !password) throw new Error(`Missing configuration: KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (KAFKA_SASL_MECHANISM=${mechanism})`);
  return { mechanism, username, password } as SASLOptions;
}
