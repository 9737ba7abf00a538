package rules

// Fixtures shaped like WSO2's docker-ei Compose trees for the EI 6.4/6.6
// analytics profile (worker and dashboard homes mounted as config
// volumes) and for EI Analytics 7.1 (server and portal runtimes), written
// for these tests.
const (
	ei6Worker = "wso2.carbon:\n  id: wso2-sp\n  ports:\n    offset: 0\n  type: wso2-ei-analytics\n" +
		"wso2.transport.http:\n  listenerConfigurations:\n" +
		"    - id: \"default\"\n      host: \"0.0.0.0\"\n      port: 9091\n" +
		"    - id: \"msf4j-https\"\n      host: \"0.0.0.0\"\n      port: 9444\n      scheme: https\n" +
		"siddhi.stores.query.api:\n  listenerConfigurations:\n" +
		"    - id: \"default\"\n      host: \"0.0.0.0\"\n      port: 7070\n" +
		"    - id: \"msf4j-https\"\n      host: \"0.0.0.0\"\n      port: 7443\n      scheme: https\n" +
		"databridge.config:\n  dataReceivers:\n" +
		"  - dataReceiver:\n      type: Thrift\n      properties:\n        tcpPort: '7612'\n        sslPort: '7712'\n" +
		"  - dataReceiver:\n      type: Binary\n      properties:\n        tcpPort: '9611'\n        sslPort: '9711'\n        hostName: 0.0.0.0\n"
	ei6Dashboard = "wso2.carbon:\n  id: wso2-sp\n  ports:\n    offset: 2\n" +
		"databridge.config:\n  dataReceivers:\n" +
		"  - dataReceiver:\n      type: Thrift\n      properties:\n        tcpPort: '7611'\n        sslPort: '7711'\n" +
		"  - dataReceiver:\n      type: Binary\n      properties:\n        tcpPort: '9611'\n        sslPort: '9711'\n" +
		"wso2.transport.http:\n  listenerConfigurations:\n" +
		"    - id: \"default-https\"\n      host: \"0.0.0.0\"\n      port: 9643\n      scheme: https\n"
	// ei6Compose publishes what WSO2's compose file and the worker image
	// do: the worker's 9091/9444 (and, as its Dockerfile exposes, the
	// receivers and store API), the dashboard's 9643, health-checked with
	// nc -z on the same ports.
	ei6Compose = "services:\n" +
		"  wso2ei-analytics-worker:\n    image: docker.wso2.com/wso2ei-analytics-worker:6.4.0\n" +
		"    ports:\n      - 9091:9091\n      - 9444:9444\n      - 7070:7070\n      - 7443:7443\n" +
		"      - 7612:7612\n      - 7712:7712\n      - 9612:9612\n      - 9712:9712\n" +
		"    healthcheck:\n      test: [\"CMD\", \"nc\", \"-z\",\"localhost\", \"9091\"]\n" +
		"    volumes:\n      - ./worker:/home/wso2carbon/wso2-config-volume\n" +
		"  wso2ei-analytics-dashboard:\n    image: docker.wso2.com/wso2ei-analytics-dashboard:6.4.0\n" +
		"    ports:\n      - 9643:9643\n" +
		"    healthcheck:\n      test: [\"CMD\", \"nc\", \"-z\",\"localhost\", \"9643\"]\n" +
		"    volumes:\n      - ./dashboard:/home/wso2carbon/wso2-config-volume\n"
)

// ei6Files lays the EI 6.x fixtures out as docker-ei does, under dir.
func ei6Files(dir, compose string) map[string]string {
	return map[string]string{
		dir + "/worker/wso2/analytics/conf/worker/deployment.yaml":       ei6Worker,
		dir + "/dashboard/wso2/analytics/conf/dashboard/deployment.yaml": ei6Dashboard,
		dir + "/docker-compose.yml":                                      compose,
	}
}
