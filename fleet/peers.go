package fleet

import (
	"bytes"
	"encoding/xml"
	"io"
	"path/filepath"
	"strings"

	"github.com/wso2lint/wso2lint/internal/readfile"
)

// This file reads what a compose service that runs no install of the
// linted tree says about the services it sends to. EI 6.x's integrator
// (the ESB profile, docker.wso2.com/wso2ei-integrator) publishes its
// statistics to the analytics worker named in carbon.xml:
//
//	<Analytics>
//	  <ServerURL>tcp://wso2ei-analytics-worker:7612</ServerURL>
//	  <AuthServerURL>ssl://wso2ei-analytics-worker:7712</AuthServerURL>
//
// wso2lint does not model that product, but the URLs tell that a sibling
// service reaches the worker's receivers over the Compose network, so
// that leaving them unpublished is on purpose (C004).

// maxPeerConfig bounds the carbon.xml read for peer URLs: the file
// EI 6.x ships is about 40 KB.
const maxPeerConfig = 4 << 20

// readPeerURLs sets PeerURLs of every compose service that runs no
// install, from the carbon.xml of a directory it bind-mounts.
func (l *loader) readPeerURLs(fl *Fleet) {
	for _, c := range fl.Containers {
		if c.Kind != "service" || c.Install != nil {
			continue
		}
		for _, m := range c.Mounts {
			for _, p := range []string{filepath.Join(m.Source, "conf", "carbon.xml"), filepath.Join(m.Source, "repository", "conf", "carbon.xml")} {
				src, ok := l.opt.Overlay[p]
				if !ok {
					var err error
					if src, err = readfile.Regular(p, maxPeerConfig); err != nil {
						continue
					}
				}
				c.PeerURLs = append(c.PeerURLs, analyticsURLs(src)...)
			}
		}
	}
}

// analyticsURLs returns the URLs of carbon.xml's <Analytics> ServerURL
// and AuthServerURL, each a comma-separated list that may group URLs in
// braces ({tcp://a:7612,tcp://b:7612}) for load balancing. A file that is
// not well-formed XML gives the URLs read before the error.
func analyticsURLs(src []byte) []string {
	d := xml.NewDecoder(bytes.NewReader(src))
	d.Strict = false
	// WSO2 declares ISO-8859-1; the elements read here are ASCII, so any
	// declared charset is read as is.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var out []string
	var path []string
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err != nil { // io.EOF, or the first error of a damaged file
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			text.Reset()
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if n := len(path); n >= 2 && path[n-2] == "Analytics" && (path[n-1] == "ServerURL" || path[n-1] == "AuthServerURL") {
				for _, u := range strings.FieldsFunc(text.String(), func(r rune) bool { return r == ',' || r == '{' || r == '}' || r == '|' }) {
					if u = strings.TrimSpace(u); u != "" {
						out = append(out, u)
					}
				}
			}
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
			text.Reset()
		}
	}
}
