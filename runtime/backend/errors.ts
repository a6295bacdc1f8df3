/** A requested backend is unknown or cannot be loaded or used here; the message says what to do. */
export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackendUnavailableError";
  }
}
