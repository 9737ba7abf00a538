// Package fleetgen writes synthetic fleets of WSO2 installs for benchmarks:
// a config repository of N installs, about 90% Micro Integrator with a
// realistic 3–4 KB deployment.toml and about 10% EI Analytics with a server
// and a portal deployment.yaml of the shipped size, about eight installs per
// host, and about 1% of installs with a seeded defect (a dotted key, a
// duplicate port, a misspelt key, ...).
//
// The output depends only on the Config: the same seed writes the same bytes.
// The content is written here from scratch in the shape real files have; it
// is not copied from any shipped file.
package fleetgen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Config says what to generate.
type Config struct {
	// Installs is the number of installs to write.
	Installs int
	// Seed makes the fleet reproducible.
	Seed uint64
	// PerHost is the number of installs per host; 8 when 0.
	PerHost int
	// EIShare is the share of EI Analytics installs; 0.10 when 0, none
	// when negative.
	EIShare float64
	// DefectRate is the share of installs with a seeded defect; 0.01 when
	// 0, none when negative.
	DefectRate float64
	// HostsPerDir groups hosts into data-centre directories so that no
	// directory grows huge; 100 when 0.
	HostsPerDir int
	// Shape is what the files are written like: ShapeDefault,
	// ShapeFallback or ShapeCorpus.
	Shape string
	// CorpusDir holds the real files ShapeCorpus copies, named
	// *deployment.toml and *deployment.yaml.
	CorpusDir string
}

// Fleet shapes, as Config.Shape names them.
const (
	// ShapeDefault writes MI and EI Analytics files in the block style
	// of the shipped ones.
	ShapeDefault = "default"
	// ShapeFallback writes the EI Analytics files in what people and
	// renderers also write — flow collections, block scalars, {{ }}
	// placeholders — and puts in several sections of each file a form
	// YAML's fast path leaves to yaml.v3 (a tag, a plain scalar or a flow
	// collection over several lines): the benchmarks' worst case.
	ShapeFallback = "fallback"
	// ShapeCorpus writes real files from CorpusDir, each MI install's
	// offset set apart from its neighbours' so that the host stays
	// clean of port clashes.
	ShapeCorpus = "corpus"
)

// Shapes lists the shapes Generate knows.
var Shapes = []string{ShapeDefault, ShapeFallback, ShapeCorpus}

// Stats describes what Generate wrote.
type Stats struct {
	Installs, MI, EIAnalytics, Hosts, Files int
	Bytes                                   int64
	// Defects counts the seeded defects by kind; Seeded names the kind
	// seeded in each install, by root (slash-separated, relative).
	Defects map[string]int
	Seeded  map[string]string
	// Paths lists the written files relative to the fleet directory,
	// slash-separated, in the order they were written.
	Paths []string
}

// String summarises the stats on one line.
func (s Stats) String() string {
	kinds := make([]string, 0, len(s.Defects))
	for k := range s.Defects {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var ds []string
	for _, k := range kinds {
		ds = append(ds, fmt.Sprintf("%s=%d", k, s.Defects[k]))
	}
	return fmt.Sprintf("%d installs (%d MI, %d EI Analytics) on %d hosts, %d files, %.1f MB; defects: %s",
		s.Installs, s.MI, s.EIAnalytics, s.Hosts, s.Files, float64(s.Bytes)/1e6, strings.Join(ds, " "))
}

// Defect kinds, as Stats.Defects names them.
const (
	DefectDottedKey     = "dotted-key"     // K001, safe fix
	DefectDuplicatePort = "duplicate-port" // P001, unsafe fix
	DefectTypo          = "typo"           // K002, safe fix
	DefectIgnoredTable  = "ignored-table"  // K003, unsafe fix
	DefectPreOffset     = "pre-offset"     // O004, unsafe fix
	DefectDuplicateKey  = "duplicate-key"  // S002, no fix
	DefectEIOffsetTypo  = "ei-offset-typo" // K002 in YAML, safe fix
)

var miDefects = []string{DefectDottedKey, DefectDuplicatePort, DefectTypo, DefectIgnoredTable, DefectPreOffset, DefectDuplicateKey}

// Generate writes the fleet under dir, which it creates when needed.
func Generate(dir string, cfg Config) (Stats, error) {
	if cfg.PerHost <= 0 {
		cfg.PerHost = 8
	}
	if cfg.EIShare == 0 {
		cfg.EIShare = 0.10
	}
	if cfg.DefectRate == 0 {
		cfg.DefectRate = 0.01
	}
	if cfg.HostsPerDir <= 0 {
		cfg.HostsPerDir = 100
	}
	var corp *corpus
	switch cfg.Shape {
	case "", ShapeDefault, ShapeFallback:
	case ShapeCorpus:
		var err error
		if corp, err = readCorpus(cfg.CorpusDir); err != nil {
			return Stats{}, err
		}
	default:
		return Stats{}, fmt.Errorf("unknown fleet shape %q (want one of %s)", cfg.Shape, strings.Join(Shapes, ", "))
	}
	fallback := cfg.Shape == ShapeFallback
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x77736f326c696e74))
	st := Stats{Defects: map[string]int{}, Seeded: map[string]string{}}
	write := func(rel, content string) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return err
		}
		st.Files++
		st.Bytes += int64(len(content))
		st.Paths = append(st.Paths, rel)
		return nil
	}
	hosts := (cfg.Installs + cfg.PerHost - 1) / cfg.PerHost
	n := 0
	for h := 0; h < hosts; h++ {
		hostDir := fmt.Sprintf("dc-%02d/host-%04d", h/cfg.HostsPerDir+1, h+1)
		st.Hosts++
		count := min(cfg.PerHost, cfg.Installs-n)
		offset := 10 // the next free MI offset on this host
		eis := 0     // EI Analytics installs on this host so far
		for i := 0; i < count; i++ {
			n++
			st.Installs++
			defect := ""
			if cfg.DefectRate > 0 && rng.Float64() < cfg.DefectRate {
				defect = "?"
			}
			if cfg.EIShare > 0 && rng.Float64() < cfg.EIShare {
				st.EIAnalytics++
				root := fmt.Sprintf("%s/eia-%d", hostDir, i+1)
				// Each EI Analytics install on a host moves both runtimes by
				// another 5, which keeps every port of the fleet apart.
				g := &gen{rng: rng, host: h + 1, inst: i + 1, eiShift: 5 * eis, fallback: fallback}
				eis++
				srvDefect := false
				if defect != "" {
					st.Defects[DefectEIOffsetTypo]++
					st.Seeded[root] = DefectEIOffsetTypo
					srvDefect = true
				}
				server, portal := g.eiServer(srvDefect), ""
				if corp != nil {
					server = corp.ei(rng, corp.servers, 1+g.eiShift, srvDefect)
				}
				portal = g.eiPortal()
				if corp != nil {
					portal = corp.ei(rng, corp.portals, 2+g.eiShift, false)
				}
				if err := write(root+"/conf/server/deployment.yaml", server); err != nil {
					return st, err
				}
				if err := write(root+"/conf/portal/deployment.yaml", portal); err != nil {
					return st, err
				}
				continue
			}
			st.MI++
			g := &gen{rng: rng, host: h + 1, inst: i + 1}
			if defect != "" {
				defect = miDefects[rng.IntN(len(miDefects))]
				if defect == DefectDuplicatePort && offset == 10 {
					defect = DefectDottedKey // nothing to collide with yet
				}
				st.Defects[defect]++
				st.Seeded[fmt.Sprintf("%s/mi-%d", hostDir, i+1)] = defect
			}
			off := offset
			if defect == DefectDuplicatePort {
				off = 10 + rng.IntN(offset-10) // an offset an earlier install uses
			} else {
				offset++
			}
			toml := g.miTOML(off, defect)
			if corp != nil && defect == "" {
				toml = corp.mi(rng, off)
			}
			if err := write(fmt.Sprintf("%s/mi-%d/deployment.toml", hostDir, i+1), toml); err != nil {
				return st, err
			}
		}
	}
	return st, nil
}

// gen writes one install's files.
type gen struct {
	rng        *rand.Rand
	host, inst int
	eiShift    int // added to the EI Analytics runtimes' default offsets
	fallback   bool
	b          strings.Builder
}

func (g *gen) line(format string, args ...any) {
	fmt.Fprintf(&g.b, format, args...)
	g.b.WriteByte('\n')
}

func (g *gen) pick(xs ...string) string { return xs[g.rng.IntN(len(xs))] }

func (g *gen) word() string {
	return g.pick("orders", "billing", "payments", "inventory", "shipping", "customers", "claims", "ledger", "catalog", "quotes")
}

func (g *gen) secret() string {
	const letters = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		b[i] = letters[g.rng.IntN(len(letters))]
	}
	return string(b)
}

func (g *gen) hostname() string {
	return fmt.Sprintf("mi-%04d-%d.%s.example.internal", g.host, g.inst, g.pick("eu-west", "us-east", "ap-south"))
}

// miTOML renders an MI deployment.toml whose effective offset is off (10,
// the built-in default, is left unwritten) with an optional defect.
func (g *gen) miTOML(off int, defect string) string {
	g.b.Reset()
	svc := g.word()
	g.line("# Micro Integrator configuration for the %s integration node", svc)
	g.line("# Managed in the config repository: edit here, not on the host; changes roll")
	g.line("# out with the next deployment. Ports: every listener is configured port + offset.")
	g.line("")
	g.line("[server]")
	g.line("hostname = %q", g.hostname())
	g.line("# node address 10.%d.%d.%d", g.rng.IntN(250), g.host%250, g.inst+10)
	switch {
	case defect == DefectTypo:
		g.line("portOffset = %d", off) // K002: WSO2 reads `offset`
	case off != 10:
		g.line("offset = %d", off)
	default:
		g.line("# offset = 10   # the built-in default")
	}
	g.line("# enable_mtls_for_management_api = false")
	g.line("")
	g.line("[user_store]")
	g.line("type = %q", g.pick("read_only_ldap", "database_unique_id", "read_write_ldap"))
	g.line("")
	g.line("[keystore.primary]")
	g.line("file_name = \"repository/resources/security/%s-keystore.jks\"", svc)
	g.line("password = \"$secret{keystore_password}\"")
	g.line("alias = \"%s\"", svc)
	g.line("key_password = \"$secret{keystore_password}\"")
	g.line("")
	g.line("[truststore]")
	g.line("file_name = \"repository/resources/security/client-truststore.jks\"")
	g.line("password = \"$secret{truststore_password}\"")
	g.line("type = \"JKS\"")
	g.line("")
	g.line("# Pass-through transport: the listener ports stay at their defaults and")
	g.line("# move with the offset.")
	g.line("[transport.http]")
	g.line("socket_timeout = %d   # milliseconds", 60000+g.rng.IntN(6)*30000)
	g.line("disable_connection_keepalive = false")
	g.line("connection_timeout = %d", 30000+g.rng.IntN(4)*15000)
	if defect == DefectPreOffset {
		g.line("listener.port = 8290   # written as the effective port") // O004
	}
	g.line("core_worker_pool_size = %d", 200+g.rng.IntN(4)*100)
	g.line("max_worker_pool_size = %d", 400+g.rng.IntN(4)*100)
	if defect == DefectDuplicateKey {
		g.line("socket_timeout = 180000") // S002
	}
	g.line("")
	if defect == DefectIgnoredTable {
		g.line("[transport.https]")
		g.line("listener.port = %d", 8243) // K003: HTTPS is [transport.http] listener.secured_port
		g.line("")
	}
	g.line("[mediation]")
	g.line("synapse.global_timeout_interval = \"%d\"   # milliseconds", 120000+g.rng.IntN(4)*60000)
	g.line("flow.statistics.enable = %v", g.rng.IntN(2) == 0)
	g.line("flow.statistics.capture_all = false")
	if defect == DefectDottedKey {
		g.line("internal.http.api.port = 9191") // K001
	}
	g.line("")
	g.line("[[datasource]]")
	g.line("id = \"WSO2_COORDINATION_DB\"")
	g.line("url = \"jdbc:mysql://db-%02d.example.internal:3306/%s_coord?useSSL=true\"", g.rng.IntN(20)+1, svc)
	g.line("username = \"mi_%s\"", svc)
	g.line("password = \"$secret{coord_db_password}\"")
	g.line("driver = \"com.mysql.cj.jdbc.Driver\"")
	g.line("pool_options.maxActive = %d", 20+g.rng.IntN(5)*10)
	g.line("pool_options.maxWait = 60000")
	g.line("pool_options.testOnBorrow = true")
	g.line("")
	g.line("[[datasource]]")
	g.line("id = \"%s_DS\"", strings.ToUpper(svc))
	g.line("url = \"jdbc:postgresql://pg-%02d.example.internal:5432/%s\"", g.rng.IntN(20)+1, svc)
	g.line("username = \"%s_app\"", svc)
	g.line("password = \"$secret{%s_db_password}\"", svc)
	g.line("driver = \"org.postgresql.Driver\"")
	g.line("pool_options.maxActive = %d", 50+g.rng.IntN(5)*10)
	g.line("pool_options.validationQuery = \"SELECT 1\"")
	g.line("")
	g.line("# Statistics go to the EI Analytics server of this data centre (client side:")
	g.line("# these URLs are where MI connects to, not ports it listens on).")
	g.line("[monitoring]")
	g.line("# Where MI publishes its statistics.")
	g.line("ei_analytics.server_url = \"tcp://analytics-%02d.example.internal:7612\"", g.host%20+1)
	g.line("ei_analytics.auth_server_url = \"ssl://analytics-%02d.example.internal:7712\"", g.host%20+1)
	g.line("ei_analytics.username = \"admin\"")
	g.line("ei_analytics.password = \"$secret{analytics_password}\"")
	g.line("")
	g.line("[dashboard_config]")
	g.line("dashboard_url = \"https://mi-dashboard.example.internal:9743/dashboard/api/\"")
	g.line("heartbeat_interval = %d", 5+g.rng.IntN(4)*5)
	g.line("group_id = \"%s\"", svc)
	g.line("node_id = \"%s-%04d-%d\"", svc, g.host, g.inst)
	g.line("")
	g.line("[[custom_message_builders]]")
	g.line("class = \"org.apache.synapse.commons.json.JsonStreamBuilder\"")
	g.line("content_type = \"application/json\"")
	g.line("")
	g.line("[[custom_message_formatters]]")
	g.line("class = \"org.apache.synapse.commons.json.JsonStreamFormatter\"")
	g.line("content_type = \"application/json\"")
	g.line("")
	g.line("[transport.jms]")
	g.line("sender_enable = true")
	g.line("listener_enable = %v", g.rng.IntN(2) == 0)
	g.line("")
	g.line("[[transport.jms.sender]]")
	g.line("name = \"%sQueueSender\"", svc)
	g.line("parameter.initial_naming_factory = \"org.apache.activemq.jndi.ActiveMQInitialContextFactory\"")
	g.line("parameter.provider_url = \"failover:(tcp://mq-%02d.example.internal:61616)\"", g.rng.IntN(8)+1)
	g.line("parameter.connection_factory_name = \"QueueConnectionFactory\"")
	g.line("parameter.connection_factory_type = \"queue\"")
	g.line("parameter.cache_level = \"producer\"")
	g.line("")
	g.line("[secrets]")
	g.line("keystore_password = \"%s\"", g.secret())
	g.line("truststore_password = \"%s\"", g.secret())
	g.line("coord_db_password = \"%s\"", g.secret())
	g.line("%s_db_password = \"%s\"", svc, g.secret())
	g.line("analytics_password = \"%s\"", g.secret())
	g.line("")
	g.line("# [transaction_counter]")
	g.line("# enable = true")
	g.line("# data_source = \"WSO2_COORDINATION_DB\"")
	g.line("# update_interval = 2")
	return g.b.String()
}

// eiServer renders the server runtime's deployment.yaml (about 15 KB).
func (g *gen) eiServer(offsetTypo bool) string {
	g.carbonHeader("server")
	g.line("wso2.carbon:")
	g.line("    # unique id of this node in the cluster")
	g.line("  id: ei-analytics-%04d-%d", g.host, g.inst)
	g.line("    # display name")
	g.line("  name: EI Analytics Server")
	g.line("  type: wso2-si")
	g.line("    # the HTTP listeners and data receivers below move by this offset")
	g.line("  ports:")
	if offsetTypo {
		g.line("    ofset: %d", 1+g.eiShift) // K002
	} else {
		g.line("    offset: %d", 1+g.eiShift)
	}
	g.line("")
	g.line("analytics.solutions:")
	g.line("  EI-analytics.enabled: true")
	g.line("")
	g.transport("wso2.transport.http", 9090, 9443)
	g.line("  senderConfigurations:")
	g.line("    -")
	g.line("      id: \"http-sender\"")
	g.line("")
	// The offset does not move the Siddhi store API: each install on a
	// host writes its own ports.
	g.transport("siddhi.stores.query.api", 7070+g.eiShift, 7443+g.eiShift)
	g.databridge(true)
	g.agents()
	g.metrics()
	g.line("  # how often the deployer scans for new Siddhi applications")
	g.line("wso2.artifact.deployment:")
	g.line("  updateInterval: %d", 5+g.rng.IntN(3)*5)
	g.line("")
	g.line("  # periodic persistence of Siddhi application state")
	g.line("state.persistence:")
	g.line("  enabled: %v", g.rng.IntN(2) == 0)
	g.line("  intervalInMin: %d", 1+g.rng.IntN(5))
	g.line("  revisionsToKeep: 2")
	g.line("  persistenceStore: org.wso2.carbon.streaming.integrator.core.persistence.FileSystemPersistenceStore")
	g.line("  config:")
	g.line("    location: siddhi-app-persistence")
	g.line("")
	g.securevault()
	g.datasources("WSO2_CLUSTER_DB", "WSO2_PERMISSIONS_DB", "WSO2_METRICS_DB", "EI_ANALYTICS")
	g.line("  # cluster coordination (off for a single node)")
	g.line("cluster.config:")
	g.line("  enabled: false")
	g.line("  groupId: ei-analytics-%04d", g.host)
	g.line("  coordinationStrategyClass: org.wso2.carbon.cluster.coordinator.rdbms.RDBMSCoordinationStrategy")
	g.line("  strategyConfig:")
	g.line("    datasource: WSO2_CLUSTER_DB")
	g.line("    heartbeatInterval: 3000")
	g.line("    heartbeatMaxRetry: 3")
	g.line("    eventPollingInterval: 3000")
	g.line("")
	g.extensions(10)
	g.auth()
	g.line("  # two-node minimum HA; uncomment on the pair that runs it")
	g.line("#deployment.config:")
	g.line("#  type: ha")
	g.line("#  passiveNodeDetailsWaitTimeOutMillis: 300000")
	g.line("#  eventSyncServer:")
	g.line("#    host: ei-analytics-%04d-b.example.internal", g.host)
	g.line("#    port: 9893")
	g.line("#    bossThreads: 10")
	g.line("#    workerThreads: 10")
	return g.b.String()
}

// eiPortal renders the portal runtime's deployment.yaml (about 14 KB).
func (g *gen) eiPortal() string {
	g.carbonHeader("portal")
	g.line("wso2.carbon:")
	g.line("    # unique id of this node")
	g.line("  id: ei-portal-%04d-%d", g.host, g.inst)
	g.line("  name: EI Analytics Portal")
	g.line("  type: wso2-sp")
	g.line("    # the portal's listener moves by this offset")
	g.line("  ports:")
	g.line("    offset: %d", 2+g.eiShift)
	g.line("")
	g.line("wso2.transport.http:")
	g.line("  transportProperties:")
	g.prop("server.bootstrap.socket.timeout", "60")
	g.prop("client.bootstrap.socket.timeout", "60")
	g.line("  listenerConfigurations:")
	g.line("    -")
	g.line("      id: \"default-https\"")
	g.line("      host: \"0.0.0.0\"")
	g.line("      port: 9643")
	g.line("      scheme: https")
	g.line("      keyStoreFile: \"${carbon.home}/resources/security/wso2carbon.jks\"")
	g.line("      keyStorePassword: %s", g.secret())
	g.line("      certPass: %s", g.secret())
	g.line("")
	g.databridge(false)
	g.agents()
	g.line("wso2.artifact.deployment:")
	g.line("  updateInterval: 5")
	g.line("")
	g.securevault()
	g.datasources("WSO2_DASHBOARD_DB", "BUSINESS_RULES_DB", "WSO2_METRICS_DB", "EI_ANALYTICS", "SAMPLE_DB")
	g.line("  # widgets and dashboards shipped with the portal")
	g.line("wso2.dashboard:")
	g.line("  roles:")
	if g.fallback {
		// A flow collection over two lines: yaml.v3 reads the section.
		g.line("    creators: [admin,")
		g.line("      ops]")
	} else {
		g.line("    creators:")
		g.line("      - admin")
	}
	g.line("  themeConfigProviderClass: org.wso2.carbon.dashboards.core.DefaultDashboardThemeConfigProvider")
	g.line("")
	g.line("wso2.business.rules.manager:")
	g.line("  datasource: BUSINESS_RULES_DB")
	g.line("  # rule templates are deployed to these worker nodes")
	if g.fallback {
		g.line("  deployment_configs: []")
		g.line("  rule_templates: {}")
		g.line("  workers: [ei-analytics-%04d.example.internal:9444]", g.host)
	} else {
		g.line("  deployment_configs:")
		g.line("    -")
		g.line("      ei-analytics-%04d.example.internal:9444:", g.host)
		g.line("        - ei-analytics")
	}
	g.line("  username: admin")
	g.line("  password: %s", g.secret())
	g.line("")
	g.extensions(12)
	g.auth()
	return g.b.String()
}

func (g *gen) carbonHeader(runtime string) {
	g.b.Reset()
	g.line("################################################################################")
	g.line("#  EI Analytics %s runtime, host %04d, install %d.", runtime, g.host, g.inst)
	g.line("#  Generated from the platform team's template; do not edit on the host.")
	g.line("#  Ports: every listener is its configured port plus wso2.carbon.ports.offset.")
	g.line("################################################################################")
	g.line("")
}

func (g *gen) prop(name, value string) {
	g.line("    -")
	g.line("      name: %q", name)
	g.line("      value: %s", value)
}

func (g *gen) transport(section string, httpPort, httpsPort int) {
	g.line("%s:", section)
	g.line("  transportProperties:")
	g.prop("server.bootstrap.socket.timeout", "60")
	g.prop("client.bootstrap.socket.timeout", "60")
	g.prop("latency.metrics.enabled", "true")
	g.line("")
	g.line("  listenerConfigurations:")
	g.line("    -")
	g.line("      id: \"default\"")
	g.line("      host: \"0.0.0.0\"")
	g.line("      port: %d", httpPort)
	g.line("    -")
	g.line("      id: \"msf4j-https\"")
	g.line("      host: \"0.0.0.0\"")
	g.line("      port: %d", httpsPort)
	g.line("      scheme: https")
	g.line("      keyStoreFile: \"${carbon.home}/resources/security/wso2carbon.jks\"")
	g.line("      keyStorePassword: %s", g.secret())
	g.line("      certPass: %s", g.secret())
	g.line("")
}

func (g *gen) databridge(server bool) {
	g.line("  # databridge: receives the statistics MI nodes publish")
	g.line("databridge.config:")
	g.line("    # worker threads that consume events")
	g.line("  workerThreads: %d", 10+g.rng.IntN(3)*5)
	g.line("    # queue limit in MB")
	g.line("  maxEventBufferCapacity: 10000000")
	g.line("    # events held in the queue")
	g.line("  eventBufferSize: 2000")
	g.line("    # key store for the SSL receivers")
	g.line("  keyStoreLocation : ${sys:carbon.home}/resources/security/wso2carbon.jks")
	g.line("  keyStorePassword : %s", g.secret())
	g.line("    # minutes before an idle session closes")
	g.line("  clientTimeoutMin: 30")
	g.line("    # receivers (the portal does not start its own by default)")
	g.line("  dataReceivers:")
	for _, r := range []struct {
		typ      string
		tcp, ssl int
	}{{"Thrift", 7611, 7711}, {"Binary", 9611, 9711}} {
		g.line("  -")
		g.line("      # receiver")
		g.line("    dataReceiver:")
		g.line("        # protocol")
		g.line("      type: %s", r.typ)
		g.line("        # ports, quoted as shipped")
		g.line("      properties:")
		g.line("        tcpPort: '%d'", r.tcp)
		g.line("        sslPort: '%d'", r.ssl)
		if r.typ == "Binary" {
			g.line("        tcpReceiverThreadPoolSize: '100'")
			g.line("        sslReceiverThreadPoolSize: '100'")
			g.line("        hostName: 0.0.0.0")
		}
		g.line("")
	}
	_ = server
}

func (g *gen) agents() {
	g.line("  # data agents: publish events over the databridge")
	g.line("data.agent.config:")
	g.line("  agents:")
	for _, a := range []string{"Thrift", "Binary"} {
		g.line("  -")
		g.line("      # agent")
		g.line("    agentConfiguration:")
		g.line("        # agent name")
		g.line("      name: %s", a)
		g.line("        # endpoint implementation")
		g.line("      dataEndpointClass: org.wso2.carbon.databridge.agent.endpoint.%s.%sDataEndpoint", strings.ToLower(a), a)
		g.line("        # sync or async")
		g.line("      publishingStrategy: async")
		g.line("        # trust store")
		g.line("      trustStorePath: '${sys:carbon.home}/resources/security/client-truststore.jks'")
		g.line("      trustStorePassword: '%s'", g.secret())
		g.line("        # publisher queue")
		g.line("      queueSize: 32768")
		g.line("      batchSize: %d", 100+g.rng.IntN(4)*100)
		g.line("      corePoolSize: 1")
		g.line("        # socket timeout, ms")
		g.line("      socketTimeoutMS: 30000")
		g.line("      maxPoolSize: 1")
		g.line("      keepAliveTimeInPool: 20")
		g.line("        # seconds between reconnection attempts")
		g.line("      reconnectionInterval: 30")
		g.line("      maxTransportPoolSize: 250")
		g.line("      maxIdleConnections: 250")
		g.line("      evictionTimePeriod: 5500")
		g.line("      minIdleTimeInPool: 5000")
		g.line("      secureMaxTransportPoolSize: 250")
		g.line("      secureMaxIdleConnections: 250")
		g.line("      secureEvictionTimePeriod: 5500")
		g.line("      secureMinIdleTimeInPool: 5000")
		g.line("        # protocols and ciphers the agent offers")
		if g.fallback {
			g.line("      sslEnabledProtocols: [TLSv1.2, TLSv1.3]")
			// A plain scalar over several lines: yaml.v3 reads the section.
			g.line("      ciphers: TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,")
			g.line("        TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,")
			g.line("        TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")
			continue
		}
		g.line("      sslEnabledProtocols: TLSv1.2,TLSv1.3")
		g.line("      ciphers: TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")
	}
	g.line("")
}

func (g *gen) metrics() {
	g.line("# metrics of the runtime itself")
	g.line("wso2.metrics:")
	g.line("  # off unless someone is investigating")
	g.line("  enabled: false")
	g.line("  reporting:")
	g.line("    console:")
	g.line("      - # console reporter")
	g.line("        name: Console")
	g.line("")
	g.line("        # off by default")
	g.line("        enabled: false")
	g.line("")
	g.line("        # seconds between two reports")
	g.line("        pollingPeriod: 5")
	g.line("")
	g.line("wso2.metrics.jdbc:")
	g.line("  # where the JDBC reporter writes")
	g.line("  dataSource:")
	g.line("    - &JDBC01")
	g.line("      # JNDI name of the data source")
	g.line("      dataSourceName: java:comp/env/jdbc/WSO2MetricsDB")
	g.line("      # delete old metrics on a schedule")
	g.line("      scheduledCleanup:")
	g.line("        # on")
	g.line("        enabled: true")
	g.line("")
	g.line("        # days of data kept")
	g.line("        daysToKeep: %d", 3+g.rng.IntN(5))
	g.line("")
	g.line("        # seconds between two cleanups")
	g.line("        scheduledCleanupPeriod: 86400")
	g.line("")
	g.line("  reporting:")
	g.line("    jdbc:")
	g.line("      - # JDBC reporter")
	g.line("        name: JDBC")
	g.line("")
	g.line("        enabled: true")
	g.line("")
	g.line("        # the data source above")
	g.line("        dataSource: *JDBC01")
	g.line("")
	g.line("        # seconds between two writes")
	g.line("        pollingPeriod: 60")
	g.line("")
}

func (g *gen) securevault() {
	g.line("  # secure vault")
	g.line("wso2.securevault:")
	g.line("  secretRepository:")
	g.line("    type: org.wso2.carbon.secvault.repository.DefaultSecretRepository")
	g.line("    parameters:")
	g.line("      privateKeyAlias: wso2carbon")
	g.line("      keystoreLocation: ${sys:carbon.home}/resources/security/securevault.jks")
	g.line("      secretPropertiesFile: ${sys:carbon.home}/conf/${sys:wso2.runtime}/secrets.properties")
	g.line("  masterKeyReader:")
	g.line("    type: org.wso2.carbon.secvault.reader.DefaultMasterKeyReader")
	g.line("    parameters:")
	g.line("      masterKeyReaderFile: ${sys:carbon.home}/conf/${sys:wso2.runtime}/master-keys.yaml")
	g.line("")
}

func (g *gen) datasources(names ...string) {
	g.line("  # data sources")
	g.line("wso2.datasources:")
	g.line("  dataSources:")
	for _, n := range names {
		g.line("    # %s", strings.ToLower(strings.ReplaceAll(n, "_", " ")))
		g.line("    - name: %s", n)
		if g.fallback {
			g.line("      description: >-")
			g.line("        The data source for %s,", strings.ToLower(n))
			g.line("        rendered from the platform template.")
		} else {
			g.line("      description: \"The data source for %s\"", strings.ToLower(n))
		}
		g.line("      jndiConfig:")
		g.line("        name: jdbc/%s", n)
		g.line("        useJndiReference: true")
		g.line("      definition:")
		g.line("        type: RDBMS")
		g.line("        configuration:")
		g.line("          jdbcUrl: 'jdbc:mysql://db-%02d.example.internal:3306/%s?useSSL=true&requireSSL=true&autoReconnect=true'", g.rng.IntN(20)+1, strings.ToLower(n))
		if g.fallback {
			// Placeholders a renderer fills in, and a tag: yaml.v3
			// reads the section.
			g.line("          username: {{ DB_USERNAME }}")
			g.line("          password: {{ DB_PASSWORD }}")
			g.line("          driverClassName: com.mysql.cj.jdbc.Driver")
			g.line("          maxPoolSize: !!int %d", 10+g.rng.IntN(5)*10)
		} else {
			g.line("          username: %s", strings.ToLower(n))
			g.line("          password: %s", g.secret())
			g.line("          driverClassName: com.mysql.cj.jdbc.Driver")
			g.line("          maxPoolSize: %d", 10+g.rng.IntN(5)*10)
		}
		g.line("          idleTimeout: 60000")
		g.line("          connectionTestQuery: SELECT 1")
		g.line("          validationTimeout: 30000")
		g.line("          isAutoCommit: false")
		g.line("")
	}
}

// extensions renders a siddhi section with n extension entries.
func (g *gen) extensions(n int) {
	g.line("  # Siddhi extensions and their system parameters")
	g.line("siddhi:")
	g.line("  extensions:")
	exts := []struct{ ns, name string }{
		{"str", "groupConcat"}, {"math", "percentile"}, {"time", "timestampInMilliseconds"}, {"json", "getString"},
		{"map", "createFromJSON"}, {"list", "collect"}, {"regex", "matches"}, {"unitconversion", "MmTokm"},
		{"geo", "withinDistance"}, {"env", "getSystemProperty"}, {"rdbms", "query"}, {"http", "call"},
	}
	for i := 0; i < n; i++ {
		e := exts[i%len(exts)]
		g.line("    # %s:%s", e.ns, e.name)
		g.line("    -")
		g.line("      extension:")
		g.line("        name: %s", e.name)
		g.line("        namespace: %s", e.ns)
		g.line("        properties:")
		g.line("          maxCacheSize: %d", 100+g.rng.IntN(10)*100)
		g.line("          cacheExpiryTime: %d", 60000+g.rng.IntN(10)*60000)
		g.line("          # keep results per partition key")
		g.line("          partitionAware: %v", g.rng.IntN(2) == 0)
		g.line("          description: \"%s extension %s, tuned for the %s pipeline\"", e.ns, e.name, g.word())
	}
	g.line("")
}

func (g *gen) auth() {
	g.line("# authentication")
	g.line("auth.configs:")
	if g.fallback {
		g.line("  banner: |")
		g.line("    Authorised use only.")
		g.line("    # sessions are logged")
		g.line("")
		g.line("    Contact the platform team for access.")
	}
	g.line("  type: 'local'        # the built-in IdP client")
	g.line("  userManager:")
	g.line("    adminRole: admin   # gets every permission")
	g.line("    userStore:         # local users")
	g.line("      users:")
	for i, u := range []string{"admin", "ops", "viewer"} {
		g.line("       -")
		g.line("         user:")
		g.line("           username: %s", u)
		g.line("           password: %s", g.secret())
		g.line("           roles: %d", i+1)
	}
	g.line("      roles:")
	for i, r := range []string{"admin", "operator", "viewer"} {
		g.line("       -")
		g.line("         role:")
		g.line("           id: %d", i+1)
		g.line("           displayName: %s", r)
	}
	g.line("")
}

// corpus holds the real files ShapeCorpus writes, sorted by name so that
// the fleet depends only on the seed and the folder's contents.
type corpus struct {
	mis, servers, portals []string
}

// readCorpus reads the deployment files of dir: every *deployment.toml is
// an MI install's, a *deployment.yaml is a portal's when its name says
// dashboard or portal, else a server's. Files YAML or TOML cannot be
// linted as (templates) are kept: real repositories hold them too.
func readCorpus(dir string) (*corpus, error) {
	if dir == "" {
		return nil, fmt.Errorf("the corpus shape needs a corpus folder")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	c := &corpus{}
	for _, e := range entries { // sorted by name
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, "deployment.toml") && !strings.HasSuffix(name, "deployment.yaml") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		switch {
		case strings.HasSuffix(name, ".toml"):
			c.mis = append(c.mis, string(b))
		case strings.Contains(name, "dashboard") || strings.Contains(name, "portal"):
			c.portals = append(c.portals, string(b))
		default:
			c.servers = append(c.servers, string(b))
		}
	}
	if len(c.mis) == 0 || len(c.servers) == 0 || len(c.portals) == 0 {
		return nil, fmt.Errorf("%s: the corpus shape needs MI deployment.toml files and EI Analytics server and portal deployment.yaml files", dir)
	}
	return c, nil
}

var (
	tomlOffset  = regexp.MustCompile(`(?m)^offset\s*=\s*-?\d+`)
	tomlServer  = regexp.MustCompile(`(?m)^\[server\][ \t]*(#.*)?$`)
	yamlOffset  = regexp.MustCompile(`(?m)^(\s+)offset:\s*-?\d+`)
	yamlOffsetK = regexp.MustCompile(`(?m)^(\s+)offset:`)
)

// mi returns a real MI deployment.toml with its offset set to off, so
// that the installs of a host do not clash.
func (c *corpus) mi(rng *rand.Rand, off int) string {
	src := c.mis[rng.IntN(len(c.mis))]
	line := fmt.Sprintf("offset = %d", off)
	switch {
	case tomlOffset.MatchString(src):
		return tomlOffset.ReplaceAllLiteralString(src, line)
	case tomlServer.MatchString(src):
		loc := tomlServer.FindStringIndex(src)
		return src[:loc[1]] + "\n" + line + src[loc[1]:]
	default:
		return "[server]\n" + line + "\n\n" + src
	}
}

// ei returns a real EI Analytics deployment.yaml from files with its
// offset set to off (misspelt "ofset" when typo, a seeded K002).
func (c *corpus) ei(rng *rand.Rand, files []string, off int, typo bool) string {
	src := files[rng.IntN(len(files))]
	key := "offset"
	if typo {
		key = "ofset"
	}
	if yamlOffset.MatchString(src) {
		return yamlOffset.ReplaceAllString(src, fmt.Sprintf("${1}%s: %d", key, off))
	}
	return yamlOffsetK.ReplaceAllString(src, "${1}"+key+":")
}
