/** Plausible names and emails for seeded members, deterministic per index. */
const firstNames = ['Ada', 'Grace', 'Alan', 'Katherine', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Linus', 'Margaret',
  'Ken', 'Radia', 'Tim', 'Hedy', 'John', 'Shafi', 'Niklaus', 'Sophie', 'Dennis', 'Jean', 'Guido', 'Anita', 'Bjarne', 'Mary'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Torvalds', 'Hamilton',
  'Thompson', 'Perlman', 'Berners-Lee', 'Lamarr', 'McCarthy', 'Goldwasser', 'Wirth', 'Wilson', 'Ritchie', 'Bartik', 'van Rossum', 'Borg'];
export const activityTypes = ['login', 'login', 'login', 'content.viewed', 'content.viewed', 'event.attended', 'forum.posted'];

export function fakePerson(index: number, salt: string) {
  const firstName = firstNames[index % firstNames.length]!;
  const lastName = lastNames[Math.floor(index / firstNames.length) % lastNames.length]!;
  const email = `${firstName}.${lastName}.${index}.${salt}@example.org`.toLowerCase().replace(/[^a-z0-9.@-]/g, '');
  return { firstName, lastName, email };
}
