import { z } from 'zod';

/** What every command answers besides its ids (DESIGN §6): the stream's revision and the log position. */
export const receipt = { revision: z.number().int().describe('The stream revision after the change; also the ETag'),
  position: z.number().int().describe('Log position; send it as X-Consistency-Position to read your write') };

/** `{ <id>, revision, position }`, the answer of a command on one resource. */
export const receiptOf = (idName: string) => z.object({ [idName]: z.uuid(), ...receipt });
