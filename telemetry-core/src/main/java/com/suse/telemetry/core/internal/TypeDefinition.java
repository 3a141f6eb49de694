package com.suse.telemetry.core.internal;

import com.suse.telemetry.core.PropertyType;
import com.suse.telemetry.core.TelemetryTypeId;
import java.util.List;
import java.util.Map;

/**
 * Everything read from one telemetry type's schema file.
 *
 * @param id the type and version, from the file's place under the schemas directory
 * @param source where the file was read from, for messages
 * @param title the schema's title, or empty
 * @param description the schema's description, or empty
 * @param schemaJson the schema file's text
 * @param recordTimeField the record property holding the record's time, or null for the envelope
 *     time
 * @param recordTimeIsDate whether that property holds a date ({@code YYYY-MM-DD}, meaning its
 *     midnight UTC) rather than an RFC 3339 date-time
 * @param identityFields the record properties that identify a record, empty for all of it
 * @param properties the top-level properties of a record, in schema order
 * @param sinkSections each secondary sink's section of the metadata, by sink name, as plain values
 * @param schema the compiled payload schema
 */
public record TypeDefinition(
    TelemetryTypeId id,
    String source,
    String title,
    String description,
    String schemaJson,
    String recordTimeField,
    boolean recordTimeIsDate,
    List<String> identityFields,
    Map<String, PropertyType> properties,
    Map<String, Map<String, Object>> sinkSections,
    CompiledSchema schema) {}
