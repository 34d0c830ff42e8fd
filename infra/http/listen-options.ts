import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config';

/**
 * The accept queue an API asks the kernel for (the kernel caps it at net.core.somaxconn, 4096 on
 * current Linux). Node asks for 511, and accepts one connection per turn of its event loop
 * (libuv >= 1.45): under load a client opening hundreds of sockets at once fills 511, and the
 * kernel then drops their SYNs, which the clients send again only after 1, 3, 7, 15 s. A
 * connection waiting in a longer queue is accepted a few turns later, and load shedding answers
 * it like any other when the process cannot serve it.
 */
export const defaultListenBacklog = 4096;

/** Where and how an API process listens (Fastify's listen options). */
export const listenOptionsOf = (config: Pick<Config, 'HOST' | 'HTTP_LISTEN_BACKLOG'>, port: number) =>
  ({ host: config.HOST, port, backlog: config.HTTP_LISTEN_BACKLOG });

/** net.core.somaxconn, the kernel's cap on any accept queue; undefined where it cannot be read (not Linux). */
export function readSomaxconn(): number | undefined {
  try {
    return Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Listens as listenOptionsOf says, and tells the log when the kernel grants a shorter queue than
 * HTTP_LISTEN_BACKLOG asks: silently capped, the queue drops connections the operator believes
 * it holds.
 */
export async function listenWithBacklog(app: Pick<FastifyInstance, 'listen' | 'log'>, config: Pick<Config, 'HOST' | 'HTTP_LISTEN_BACKLOG'>,
  port: number, readCap: () => number | undefined = readSomaxconn) {
  const address = await app.listen(listenOptionsOf(config, port));
  const somaxconn = readCap();
  if (somaxconn !== undefined && somaxconn < config.HTTP_LISTEN_BACKLOG) {
    app.log.warn(`HTTP_LISTEN_BACKLOG is ${config.HTTP_LISTEN_BACKLOG}, but the kernel caps accept queues at net.core.somaxconn = ${somaxconn}: `
      + `${address} keeps at most ${somaxconn} connections waiting (raise net.core.somaxconn to get the rest)`);
  }
  return address;
}
