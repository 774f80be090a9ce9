/**
 * Running plans: restore drills. Internal API, no compatibility promise.
 */
package dev.cairn.backup.internal.plan;
