/**
 * The one error type mlm throws for bad input or impossible models.
 *
 * Its message is a single plain sentence that says what is wrong and what to do; the CLI prints
 * it on stderr and exits with code 2. Anything else that is thrown is a bug in mlm.
 *
 * @example
 * ```ts
 * const e = new MlmError("Column 'Yeild' is not in the data; did you mean 'Yield'?");
 * [e.name, e instanceof Error]; // ["MlmError", true]
 * ```
 */
export class MlmError extends Error {
  override readonly name = "MlmError";
  /**
   * @param message - one sentence for the user.
   */
  constructor(message: string) {
    super(message);
  }
}
