package dev.keyturn.server.delivery;

import dev.keyturn.server.support.OnH2;

@OnH2
class WebhookRebindingH2Test extends WebhookRebindingTests {}
