/**
 * Drop-in web pieces for a product that embeds the Keyturn client: {@link
 * dev.keyturn.client.web.KeyturnFilter} (a Jakarta Servlet filter) in front of the product serves
 * the license JSON, the install and dismiss endpoints, the banner component ({@code banner.js} +
 * {@code banner.css}, one {@code <script>} tag in the product's pages), and enforces read-only and
 * locked modes with a clear page or problem JSON. {@link dev.keyturn.client.web.KeyturnWeb} is the
 * same without a framework.
 */
package dev.keyturn.client.web;
