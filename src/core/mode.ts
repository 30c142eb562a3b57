/**
 * The build mode. `process.env.NODE_ENV` is replaced when the package is
 * built (tsup `define`): the development files keep every message and
 * sentence, the production files (the `production` export condition and the
 * default script-tag file) keep every check with short messages. Nothing
 * published reads `process`; only the sources do, under test.
 *
 * @module
 */

/**
 * Whether this is the development build. Guard a development-only branch
 * with it (`isDevelopment ? 'the long message' : 'short'`): the minifier
 * inlines the constant and drops the other branch.
 */
export const isDevelopment: boolean = process.env.NODE_ENV !== 'production';
