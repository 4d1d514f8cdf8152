import t from 'tap';
import { failures, table } from './helpers.js';

// expected values checked against Ansible 2.14 (ansible-core 2.14.18, Jinja 3.1.2) on Debian 12
t.test('urls filters', async (t) =>
  table(t, [
    [
      "'http://user:password@www.acme.com:9000/dir/index.html?query=term#fragment' | urlsplit",
      {
        fragment: 'fragment',
        hostname: 'www.acme.com',
        netloc: 'user:password@www.acme.com:9000',
        password: 'password',
        path: '/dir/index.html',
        port: 9000,
        query: 'query=term',
        scheme: 'http',
        username: 'user',
      },
    ],
    ["'http://user:password@www.acme.com:9000/dir/index.html?query=term#fragment' | urlsplit('hostname')", 'www.acme.com'],
    ["'http://user:password@www.acme.com:9000/dir/index.html?query=term#fragment' | urlsplit('port')", 9000],
    [
      "'HTTPS://[::1]:8443/x' | urlsplit",
      { fragment: '', hostname: '::1', netloc: '[::1]:8443', password: null, path: '/x', port: 8443, query: '', scheme: 'https', username: null },
    ],
    [
      "'https://Example.COM' | urlsplit",
      { fragment: '', hostname: 'example.com', netloc: 'Example.COM', password: null, path: '', port: null, query: '', scheme: 'https', username: null },
    ],
    [
      "'mailto:me@x.org' | urlsplit",
      { fragment: '', hostname: null, netloc: '', password: null, path: 'me@x.org', port: null, query: '', scheme: 'mailto', username: null },
    ],
    [
      "'/just/a/path?q' | urlsplit",
      { fragment: '', hostname: null, netloc: '', password: null, path: '/just/a/path', port: null, query: 'q', scheme: '', username: null },
    ],
    [
      "'http://u@h:/p' | urlsplit",
      { fragment: '', hostname: 'h', netloc: 'u@h:', password: null, path: '/p', port: null, query: '', scheme: 'http', username: 'u' },
    ],
    ["'a b/c&d é' | urlencode", 'a%20b/c%26d%20%C3%A9'],
    ["{'a': 'b c', 'x/y': '&'} | urlencode", 'a=b+c&x%2Fy=%26'],
    ["[['k', 'v 1'], ['z', 2]] | urlencode", 'k=v+1&z=2'],
    ['42 | urlencode', '42'],
    ["'a+b%20c%C3%A9%zz' | urldecode", 'a b cé%zz'],
  ]),
);

t.test('urls filters: errors', async (t) =>
  failures(t, [
    ["'http://h:abc/' | urlsplit", /urlsplit: port could not be cast to integer value /],
    ["'http://h/' | urlsplit('nope')", /urlsplit: unknown URL component: nope/],
  ]),
);
