/**
 * `fromName` imports: an object managed elsewhere (another stack, the CLI), referred to by
 * name. The name is checked up front; the construct carries only the attributes given.
 *
 * @module
 */
import { Construct } from 'constructs';
import { blankProblems, raiseProblems } from './errors';

export function imported<T extends object>(
  scope: Construct,
  id: string,
  nameProp: keyof T & string,
  attributes: T,
): Construct & T {
  const name = attributes[nameProp];
  raiseProblems(
    `${scope.node.path}/${id}`,
    blankProblems(nameProp, typeof name === 'string' ? name : undefined),
  );
  return Object.assign(new Construct(scope, id), attributes);
}
