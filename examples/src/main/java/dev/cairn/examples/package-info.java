/** Runnable recipes showing how to embed Cairn; not deployed. */
package dev.cairn.examples;
