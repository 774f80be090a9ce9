/**
 * Retention evaluation (calendar periods, the keep/remove algorithm) and the plan objectives check.
 * Internal API, no compatibility promise.
 */
package dev.cairn.backup.internal.retention;
