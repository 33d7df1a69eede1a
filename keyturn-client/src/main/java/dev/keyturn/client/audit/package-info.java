/**
 * The hash-chained local audit log and its verification, for the product and for {@code keyturn
 * audit verify}.
 */
package dev.keyturn.client.audit;
