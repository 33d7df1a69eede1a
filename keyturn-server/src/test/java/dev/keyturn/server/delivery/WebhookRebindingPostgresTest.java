package dev.keyturn.server.delivery;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class WebhookRebindingPostgresTest extends WebhookRebindingTests {}
