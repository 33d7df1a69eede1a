package dev.keyturn.server.system;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
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
                    + " check-in. Staff sign in with HTTP Basic or an API token (Bearer kt_api_…);"
                    + " products check in with their license token (Bearer kt_lic_…). Errors are"
                    + " application/problem+json with a stable 'code'."),
    security = {@SecurityRequirement(name = "basic"), @SecurityRequirement(name = "token")})
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
@SecurityScheme(
    name = "token",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "kt_api_… for staff, kt_lic_… for check-in and capabilities")
class OpenApiConfiguration {}
