module keyturn.dev/examples/go-app

go 1.19

require (
	github.com/pelletier/go-toml/v2 v2.0.6 // indirect
	keyturn.dev/go v0.0.0
)

// Built offline from the repository: the SDK next door, and the TOML parser it vendors.
replace (
	github.com/pelletier/go-toml/v2 => ../../sdk/go/vendor/github.com/pelletier/go-toml/v2
	keyturn.dev/go => ../../sdk/go
)
