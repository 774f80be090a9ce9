/**
 * YAML plan files ({@link dev.cairn.backup.plan.PlanFile}), the YAML syntax check behind
 * {@link dev.cairn.backup.Checks#yamlParses(java.nio.file.Path...)}, and restore drills. This module
 * carries the YAML parser so that {@code backup-api} does not.
 */
package dev.cairn.backup.plan;
