import * as assert from 'uvu/assert';
import { DomainError } from './domain-error';

/** given(events).when(command).then(events): the shape of every domain test. */
export type Decider<Command, Event, State> = {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: State;
};

export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: Event[]) {
      const state = history.reduce(decider.evolve, decider.initialState);
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: Event[]) {
              assert.equal(run(), expected);
            },
            thenRefuses(code: string) {
              try {
                run();
              } catch (error) {
                assert.instance(error, DomainError);
                assert.is((error as DomainError).code, code);
                return;
              }
              assert.unreachable(`expected a refusal with code ${code}`);
            },
          };
        },
      };
    },
  };
}
