package fleet

import (
	"strings"
	"sync"

	"github.com/wso2lint/wso2lint/catalog"
)

// This file holds the port model's part of the product catalogue: the
// listeners, the keys that set their ports, bind addresses and offsets,
// and the known mistakes. Every value here was checked against WSO2's
// source, not against WSO2's documentation page, which has errors. The
// catalogue of every key MI reads is generated, in package catalog.

// MIDefaultOffset is the offset an MI uses when neither -DportOffset nor
// [server] offset is set (carbon.xml.j2: server.offset | default('10')).
const MIDefaultOffset = 10

// MIPort describes one MI listener and the keys that configure it.
type MIPort struct {
	// Name is the listener's short name in findings and the ports map.
	Name string
	// Title is the listener's human name.
	Title string
	// Key is the canonical key path.
	Key []string
	// Raw lists raw keys that land on the same internal key; they count
	// when the canonical key is absent.
	Raw [][]string
	// Default is the configured default port.
	Default int
	// Disable lists the keys that turn the listener off when false.
	Disable [][]string
	// Bind lists the bind-address keys, canonical first.
	Bind [][]string
	// Protocol is set for the internal API listeners: the listener
	// exists only when an internal API that is on by default serves
	// this protocol (InternalAPIProtocols).
	Protocol string
}

// internalAPIEnabled turns both internal API listeners off when false:
// the internal APIs are started only when internal.http.api.enabled is
// true in synapse.properties.
var internalAPIEnabled = [][]string{{"mediation", "internal_http_api_enable"}, {"synapse_properties", "internal.http.api.enabled"}}

// MIPorts lists the MI listeners the offset moves, in the order the ports
// map shows them.
var MIPorts = []MIPort{
	{Name: "http", Title: "HTTP pass-through", Key: []string{"transport", "http", "listener", "port"},
		Raw:     [][]string{{"transport", "http", "listener", "parameter", "port"}},
		Default: 8280, Disable: [][]string{{"transport", "http", "listener", "enable"}},
		Bind: [][]string{{"transport", "http", "listener", "bind_address"}, {"transport", "http", "listener", "parameter", "bind-address"}}},
	{Name: "https", Title: "HTTPS pass-through", Key: []string{"transport", "http", "listener", "secured_port"},
		Raw:     [][]string{{"transport", "https", "listener", "parameter", "port"}},
		Default: 8243, Disable: [][]string{{"transport", "http", "listener", "secured_enable"}},
		Bind: [][]string{{"transport", "http", "listener", "secured_bind_address"}, {"transport", "https", "listener", "parameter", "bind-address"}}},
	{Name: "internal-http", Title: "internal HTTP API", Key: []string{"mediation", "internal_http_api_port"},
		Raw:     [][]string{{"synapse_properties", "internal.http.api.port"}},
		Default: 9191, Disable: internalAPIEnabled, Protocol: "http"},
	{Name: "internal-https", Title: "internal HTTPS API", Key: []string{"mediation", "internal_https_api_port"},
		Raw:     [][]string{{"synapse_properties", "internal.https.api.port"}},
		Default: 9154, Disable: internalAPIEnabled, Protocol: "https"},
}

// InternalAPIProtocols lists the internal APIs that MI's start script turns
// on (-DenableManagementApi, -DenableReadinessProbe,
// -DenableLivenessProbe), with the key that lists the protocols each is
// served on and its default. An internal API listener exists only when
// one of them serves its protocol: [management_api] protocols = "http"
// leaves no internal HTTPS listener. Path is the API's context, what a
// probe sends to reach it. The Prometheus API needs a start-up flag of its
// own and is left out.
var InternalAPIProtocols = []struct {
	Title   string
	Path    string
	Key     []string
	Default string
}{
	{"Management API", "/management", []string{"management_api", "protocols"}, "https http"},
	{"readiness probe API", "/healthz", []string{"readiness_probe", "protocols"}, "http"},
	{"liveness probe API", "/liveness", []string{"liveness_probe", "protocols"}, "http"},
}

// MIOffsetKey is where an MI's deployment.toml sets the offset.
var MIOffsetKey = []string{"server", "offset"}

// DashboardPortKey is the MI Dashboard's listener key; its port is not
// moved by any offset.
var DashboardPortKey = []string{"server_config", "port"}

// DashboardDefaultPort is the MI Dashboard's default listener port.
const DashboardDefaultPort = 9743

// MIUnverified lists MI listeners whose offset behaviour is not verified:
// they are shown in the ports map and take no part in duplicate checks.
var MIUnverified = []struct {
	Name  string
	Table []string
	Key   []string
	// Enable, when set, must be true for the listener to exist.
	Enable []string
	Array  bool
}{
	{Name: "tcp", Table: []string{"transport", "tcp"}, Key: []string{"listener", "port"}, Enable: []string{"listener", "enable"}},
	{Name: "custom", Table: []string{"custom_transport", "listener"}, Key: []string{"parameter", "port"}, Array: true},
}

// PortTables are the MI tables that hold the listener ports and the
// offset: K003 writes a setting it moves into one of them.
var PortTables = [][]string{{"server"}, {"mediation"}, {"transport", "http"}, {"synapse_properties"}}

// PortKeysOf returns the port and offset keys of a port table, relative to
// the table, for K002's hint when an unknown key there mentions a port.
func PortKeysOf(table string) []string {
	switch table {
	case "server":
		return []string{"offset"}
	case "mediation":
		return []string{"internal_http_api_port", "internal_https_api_port"}
	case "transport.http":
		return []string{"listener.port", "listener.secured_port"}
	case "synapse_properties":
		return []string{"internal.http.api.port", "internal.https.api.port"}
	}
	return nil
}

// MIClientURLKeys are the keys of an MI's deployment.toml that hold a URL
// the MI connects out to (Runtime.ClientURLs).
var MIClientURLKeys = [][]string{
	{"monitoring", "ei_analytics", "server_url"},
	{"monitoring", "ei_analytics", "auth_server_url"},
	{"dashboard_config", "dashboard_url"},
}

// keyStrings holds catalogue key paths as KeyString writes them.
type keyStrings struct {
	miPort, clientURL []string
	dashboard         string
}

// catalogKeys returns the catalogue's key paths as KeyString writes them,
// made once and shared by every listener of the fleet rather than built
// for each (on 10,000 installs they were megabytes of the model).
var catalogKeys = sync.OnceValue(func() keyStrings {
	var k keyStrings
	for _, p := range MIPorts {
		k.miPort = append(k.miPort, KeyString(p.Key))
	}
	for _, c := range MIClientURLKeys {
		k.clientURL = append(k.clientURL, KeyString(c))
	}
	k.dashboard = KeyString(DashboardPortKey)
	return k
})

// OffsetAliases are misspellings of [server] offset seen in real
// repositories; each means offset.
var OffsetAliases = []string{"portOffset", "port_offset", "port-offset", "ports.offset"}

// KeyAlias is a misspelling of an MI key seen in real repositories whose
// meaning is not in doubt, although no edit distance finds it.
type KeyAlias struct {
	// Table is the table the alias is written in; Aliases are the keys
	// relative to it, and Target the key they mean.
	Table   []string
	Aliases []string
	Target  []string
}

// KeyAliases lists the known misspellings: the offset's, and the names
// other products give the HTTPS port (`ssl_port`, `https_port`).
var KeyAliases = []KeyAlias{
	{Table: []string{"server"}, Aliases: OffsetAliases, Target: MIOffsetKey},
	{Table: []string{"transport", "http"}, Aliases: []string{"listener.ssl_port", "listener.https_port", "listener.secure_port", "listener.tls_port"},
		Target: []string{"transport", "http", "listener", "secured_port"}},
}

// IgnoredTable is a table WSO2 never reads that people write ports into,
// and where the setting belongs.
type IgnoredTable struct {
	Table []string
	// Key is the port key inside the table ("" for any key containing
	// "port").
	Key string
	// Target is where the setting belongs.
	Target []string
}

// IgnoredTables lists the tables K003 reports.
var IgnoredTables = []IgnoredTable{
	{Table: []string{"transport", "https"}, Key: "listener.port", Target: []string{"transport", "http", "listener", "secured_port"}},
	{Table: []string{"transport", "https"}, Key: "listener.secured_port", Target: []string{"transport", "http", "listener", "secured_port"}},
	{Table: []string{"transport", "passthru", "http", "listener"}, Key: "port", Target: []string{"transport", "http", "listener", "port"}},
	{Table: []string{"transport", "passthru", "https", "listener"}, Key: "port", Target: []string{"transport", "http", "listener", "secured_port"}},
	{Table: []string{"management_api"}, Key: "port", Target: []string{"mediation", "internal_https_api_port"}},
	{Table: []string{"internal_apis"}, Key: "port", Target: []string{"mediation", "internal_http_api_port"}},
	{Table: nil, Key: "offset", Target: []string{"server", "offset"}},
}

// EIDefaultOffset is the offset of an EI Analytics runtime whose
// deployment.yaml does not set wso2.carbon.ports.offset: Carbon 5's
// PortsConfig defaults it to 0 for every runtime. The 1 of the server and
// the 2 of the portal and dashboard are what the shipped files write.
const EIDefaultOffset = 0

// EIOffsetPath is where an EI Analytics deployment.yaml sets the offset.
var EIOffsetPath = []string{"wso2.carbon", "ports", "offset"}

// EIListenerSections are the mappings holding listenerConfigurations.
var EIListenerSections = []string{"wso2.transport.http", "siddhi.stores.query.api"}

// EIListenerKeys are the keys WSO2 reads in a listenerConfigurations item.
var EIListenerKeys = []string{
	"id", "host", "port", "scheme", "keyStoreFile", "keyStorePassword", "certPass",
	"sslConfig", "parameters", "httpTraceLogEnabled", "httpAccessLogEnabled", "socketIdleTimeout",
	"messageProcessorId", "chunkingConfig", "keepAliveConfig", "version", "serverHeader",
	"requestSizeValidationConfig", "trustStoreFile", "trustStorePass", "verifyClient",
	"sslProtocol", "tlsStoreType", "ciphers", "sslEnabledProtocols", "sslSessionTimeOut",
	"sslHandshakeTimeOut", "certificateValidationEnabled", "cacheSize", "cacheValidityPeriod",
	"hostNameVerificationEnabled", "ocspStaplingEnabled", "keyStorePass",
}

// EIReceiverPortKeys are the port keys of a databridge data receiver's
// properties.
var EIReceiverPortKeys = []string{"tcpPort", "sslPort"}

// KeyString renders a key path the way users write it in TOML: parts
// joined by dots, a part that is not a bare TOML key quoted with single
// quotes, as the catalogue writes its keys.
func KeyString(parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(catalog.KeyPart(p))
	}
	return b.String()
}

// Normalize folds a key for loose comparison: case, '-', '_' and '.' are
// ignored, so camelCase, kebab-case and dotted spellings meet.
func Normalize(key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c == '-' || c == '_' || c == '.':
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// EqualPath reports whether two key paths are the same.
func EqualPath(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// HasPrefix reports whether path starts with prefix.
func HasPrefix(path, prefix []string) bool {
	return len(path) >= len(prefix) && EqualPath(path[:len(prefix)], prefix)
}
