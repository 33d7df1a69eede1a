package dev.keyturn.server.delivery;

import dev.keyturn.server.support.OnH2;

@OnH2
class WebhookEndpointH2Test extends WebhookEndpointTests {}
