import { isNoSuchEntity } from '../../answers/error-info.js';

/** The call's answer, or `undefined` when IAM says the entity does not exist. Other errors propagate. */
export async function unlessGone<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (isNoSuchEntity(err)) return undefined;
    throw err;
  }
}

/** Runs a change; true when it was made, false when IAM says the target is already gone. */
export async function changed(call: Promise<unknown>): Promise<boolean> {
  try {
    await call;
    return true;
  } catch (err) {
    if (isNoSuchEntity(err)) return false;
    throw err;
  }
}
