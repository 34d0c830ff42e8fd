/** The id of a Stripe reference, which the API gives as an id or, expanded, as the object. */
export const idOf = (value: string | { id: string } | null | undefined) => (value == null ? null : typeof value === 'string' ? value : value.id);
