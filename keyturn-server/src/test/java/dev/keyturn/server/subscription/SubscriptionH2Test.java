package dev.keyturn.server.subscription;

import dev.keyturn.server.support.OnH2;

@OnH2
class SubscriptionH2Test extends SubscriptionTests {}
