// Package fleet discovers WSO2 installs in a directory tree, loads their
// configuration and start-up files with exact byte positions, and builds the
// domain model the rules check: hosts, installs, runtimes and the effective
// port of every listener.
//
// The model follows the WSO2 runtime, not WSO2's documentation, where the two
// differ: an MI's offset is -DportOffset at start-up, else
// [server] offset, else 10; an EI Analytics runtime's offset is its own
// wso2.carbon.ports.offset. Values that cannot be known statically (an
// unresolved placeholder, an invalid value) make a port unknown; an unknown
// port is shown as such and never guessed.
package fleet
