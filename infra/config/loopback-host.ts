import { isIPv4, isIPv6 } from 'node:net';

/**
 * True when listening on `host` reaches only this machine: `localhost`, 127.0.0.0/8 or ::1 (also
 * written as the IPv4-mapped ::ffff:127.x.y.z). Anything else, 0.0.0.0 and :: first, is a network.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isIPv4(name)) return name.startsWith('127.');
  if (!isIPv6(name)) return false;
  if (name === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(name)) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name);
  return mapped !== null && isIPv4(mapped[1]!) && mapped[1]!.startsWith('127.');
}
