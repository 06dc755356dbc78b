/**
 * Functional interfaces whose methods may throw checked exceptions, used by every
 * {@link dev.coflow.AsyncFlow} operator that takes a Java lambda.
 */
package dev.coflow.function;
