/**
 * The one base class of the project's errors. `name` comes from the class (bundles keep class
 * names: esbuild `keepNames`), so a subclass needs no constructor of its own and Step Functions
 * Retry/Catch and log queries match the same name everywhere; `{ cause }` is passed on.
 *
 * @example
 * export class PolicySetError extends GovrecError {}
 * throw new PolicySetError('policies/ is empty', { cause });
 */
export class GovrecError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
