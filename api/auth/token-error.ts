/**
 * Why a token was refused. The reason goes back to the client (401 detail and error_description) because a caller
 * with a bad token can only fix it when told whether it expired, has the wrong audience or an unknown key.
 */
export class TokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenError';
  }
}
