package com.suse.telemetry.core.internal;

/** Builds JSON Pointers (RFC 6901) one step at a time. */
public final class JsonPointers {

  private JsonPointers() {}

  /** The pointer to property {@code name} of the object at {@code parent}. */
  public static String property(String parent, String name) {
    return parent + "/" + name.replace("~", "~0").replace("/", "~1");
  }

  /** The pointer to element {@code index} of the array at {@code parent}. */
  public static String index(String parent, int index) {
    return parent + "/" + index;
  }
}
