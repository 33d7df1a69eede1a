module keyturn.dev/go

go 1.19

require github.com/pelletier/go-toml/v2 v2.0.6
