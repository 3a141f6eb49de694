/**
 * Source keys: opaque tokens a product ships or an operator hands out, each naming the applications
 * it may publish for. Only a key's id and a hash of its secret are ever kept; {@link
 * com.suse.telemetry.core.keys.SourceKeyring} checks a token against the keys in memory, so that a
 * flood of bad tokens costs a hash and a map lookup, never a database query.
 */
package com.suse.telemetry.core.keys;
