module github.com/wso2lint/wso2lint

go 1.26

require (
	github.com/bmatcuk/doublestar/v4 v4.10.4 // indirect
	github.com/owenrumney/go-sarif/v3 v3.3.1 // indirect
	github.com/pelletier/go-toml/v2 v2.4.3 // indirect
	github.com/sergi/go-diff v1.4.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
