package dev.keyturn.server.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document springdoc serves at {@code /v3/api-docs} (and the Swagger UI at {@code
 * /swagger-ui.html}). Errors are {@code application/problem+json} with a stable {@code code},
 * listed in {@link ErrorCode}.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
    info =
        @Info(
            title = "Keyturn server API",
            version = "v1",
            description =
                "Subscriptions, license issuance and revocation, signing keys, audit events,"
                    + " check-in, billing (Stripe webhooks, recorded payments, renewal requests)."
                    + " Staff sign in with HTTP Basic or an API token (Bearer kt_api_…);"
                    + " products check in with their license token (Bearer kt_lic_…). Errors are"
                    + " application/problem+json with a stable 'code'."),
    security = {
      @SecurityRequirement(name = OpenApiConfiguration.BASIC),
      @SecurityRequirement(name = OpenApiConfiguration.TOKEN)
    })
@SecurityScheme(name = OpenApiConfiguration.BASIC, type = SecuritySchemeType.HTTP, scheme = "basic")
@SecurityScheme(
    name = OpenApiConfiguration.TOKEN,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "kt_api_… for staff, kt_lic_… for check-in and capabilities")
@SecurityScheme(
    name = OpenApiConfiguration.LICENSE_TOKEN,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description =
        "A product's license token (kt_lic_…), derived from the license file it holds; for"
            + " operations a product calls itself")
public class OpenApiConfiguration {
  /** The security scheme of operations a product calls with its license token. */
  public static final String LICENSE_TOKEN = "license";

  /** Staff by HTTP Basic. */
  public static final String BASIC = "basic";

  /** A Bearer token: staff's API tokens (kt_api_…). */
  public static final String TOKEN = "token";

  /** Shared error responses; operations point at them with {@code @ApiResponse(ref = …)}. */
  public static final String INVALID = "#/components/responses/Invalid";

  public static final String UNAUTHENTICATED = "#/components/responses/Unauthenticated";
  public static final String FORBIDDEN = "#/components/responses/Forbidden";
  public static final String NOT_FOUND = "#/components/responses/NotFound";
  public static final String CONFLICT = "#/components/responses/Conflict";
  public static final String STRIPE_FAILED = "#/components/responses/StripeFailed";
  public static final String STRIPE_NOT_CONFIGURED = "#/components/responses/StripeNotConfigured";

  /** The {@link ApiProblem} schema and the shared error responses built on it. */
  @Bean
  OpenApiCustomizer sharedProblemResponses() {
    return api -> {
      Components components = api.getComponents() == null ? new Components() : api.getComponents();
      ModelConverters.getInstance().read(ApiProblem.class).forEach(components::addSchemas);
      respond(
          components,
          INVALID,
          "Bad input, every wrong field named (validation.failed), or an unreadable body"
              + " (request.malformed); nothing changed");
      respond(
          components,
          UNAUTHENTICATED,
          "No credentials, or unknown ones (auth.unauthenticated, license.unknown_token)");
      respond(components, FORBIDDEN, "The caller's role may not do this (auth.forbidden)");
      respond(components, NOT_FOUND, "No such object (not_found)");
      respond(
          components, CONFLICT, "The object's state does not allow it (conflict, subscription.*)");
      respond(components, STRIPE_FAILED, "Stripe refused or did not answer (stripe.failed)");
      respond(
          components,
          STRIPE_NOT_CONFIGURED,
          "Stripe is not set up on this server (stripe.not_configured)");
      api.setComponents(components);
    };
  }

  private static void respond(Components components, String ref, String description) {
    components.addResponses(
        ref.substring(ref.lastIndexOf('/') + 1),
        new io.swagger.v3.oas.models.responses.ApiResponse()
            .description(description)
            .content(
                new Content()
                    .addMediaType(
                        ApiProblem.MEDIA_TYPE,
                        new MediaType()
                            .schema(new Schema<>().$ref("#/components/schemas/Problem")))));
  }

  /**
   * The API speaks snake_case (Jackson 3, {@code spring.jackson.property-naming-strategy}); the
   * schema generator runs on its own Jackson 2 mapper and must be told the same.
   */
  @Bean
  ModelResolver snakeCaseModelResolver(ObjectMapperProvider provider) {
    return new ModelResolver(
        provider
            .jsonMapper()
            .copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
  }
}
