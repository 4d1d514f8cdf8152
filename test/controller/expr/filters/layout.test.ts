import t from 'tap';
import { failures, table } from './helpers.js';

// expected values checked against Ansible 2.14 (ansible-core 2.14.18, Jinja 3.1.2) on Debian 12
t.test('text layout filters', async (t) =>
  table(t, [
    ["'abc' | center(9)", '   abc   '],
    ["'abc' | center(8)", '  abc   '],
    ["'ab' | center(7)", '   ab  '],
    ["'ab' | center(8)", '   ab   '],
    ["'abcd' | center(2)", 'abcd'],
    ["'abc' | center", '                                      abc                                       '],
    ["'The quick brown fox jumps over the lazy dog' | wordwrap(10)", 'The quick\nbrown fox\njumps over\nthe lazy\ndog'],
    ["'The quick brown fox' | wordwrap(10, wrapstring='<br>')", 'The quick<br>brown fox'],
    ["'aaaaaaaaaaaaaaaaaaaaaaaa bb' | wordwrap(10)", 'aaaaaaaaaa\naaaaaaaaaa\naaaa bb'],
    ["'aaaaaaaaaaaaaaaaaaaaaaaa bb' | wordwrap(10, false)", 'aaaaaaaaaaaaaaaaaaaaaaaa\nbb'],
    ["'well-known long-hyphenated-words here' | wordwrap(12)", 'well-known\nlong-\nhyphenated-\nwords here'],
    ["'well-known long-hyphenated-words here' | wordwrap(12, break_on_hyphens=false)", 'well-known l\nong-hyphenat\ned-words\nhere'],
    ["'para one is here\\n\\npara two  has   spaces' | wordwrap(8)", 'para one\nis here\n\npara two\nhas\nspaces'],
    ["'  leading spaces here' | wordwrap(8)", 'leading\nspaces\nhere'],
    ["'a--b c-d e' | wordwrap(3)", 'a--\nb\nc-d\ne'],
    ["'foo bar baz qux' | truncate(9)", 'foo...'],
    ["'foo bar baz qux' | truncate(9, true)", 'foo ba...'],
    ["'foo bar baz qux' | truncate(11)", 'foo bar baz qux'],
    ["'foo bar baz qux' | truncate(11, false, '...', 0)", 'foo bar...'],
    ["'foo bar baz qux' | truncate(10, end='!', leeway=0)", 'foo bar!'],
    ["'foobarbazqux' | truncate(6, leeway=0)", 'foo...'],
    ["'<p>Hello <b>big</b>\\n   world</p><!-- c --> &amp; &lt;x&gt; &#39;q&#x41;' | striptags", "Hello big world & <x> 'qA"],
    ["'Hello, world! it_is 3 o\\'clock' | wordcount", 6],
    ["'' | wordcount", 0],
    ["'<a href=\"x\">&\\'</a>' | e", '&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;'],
    ["'<a>' | escape", '&lt;a&gt;'],
    ["'<a>' | forceescape", '&lt;a&gt;'],
    ['1 | filesizeformat', '1 Byte'],
    ['0 | filesizeformat', '0 Bytes'],
    ['999 | filesizeformat', '999 Bytes'],
    ['1000 | filesizeformat', '1.0 kB'],
    ['1500000 | filesizeformat', '1.5 MB'],
    ['1500000 | filesizeformat(true)', '1.4 MiB'],
    ['1024 | filesizeformat(true)', '1.0 KiB'],
    ["'2048' | filesizeformat", '2.0 kB'],
    ['1250 | filesizeformat', '1.2 kB'],
    ['1350 | filesizeformat', '1.4 kB'],
  ]),
);

t.test('text layout filters: errors', async (t) =>
  failures(t, [
    ["'abc' | truncate(2)", /truncate: expected length >= 3, got 2/],
    ['10**30 | filesizeformat', /cannot raise int and string/],
  ]),
);

t.test('edge cases checked against Ansible', async (t) =>
  table(t, [
    [
      "'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore' | wordwrap(20)",
      'Lorem ipsum dolor\nsit amet,\nconsectetur\nadipiscing elit, sed\ndo eiusmod tempor\nincididunt ut labore',
    ],
    ["'Lorem ipsum dolor sit amet, consectetur adipiscing elit' | wordwrap(7, false)", 'Lorem\nipsum\ndolor\nsit\namet,\nconsectetur\nadipiscing\nelit'],
    ["'a-b-c-d-e-f-g-h-i-j-k' | wordwrap(5)", 'a-b-\nc-d-\ne-f-\ng-h-\ni-j-k'],
    ["'tab\\there and\\tthere ok' | wordwrap(6)", 'tab\nhere\nand\nthere\nok'],
    ["'line one\\r\\nline two\\rthree' | wordwrap(40)", 'line one\nline two\nthree'],
    ["'' | wordwrap", ''],
    ["'   ' | wordwrap(2)", ''],
    ["'héllo wörld ünïcode' | truncate(10, leeway=0)", 'héllo...'],
    ["'héllo' | center(9)", '  héllo  '],
    ["'abc' | wordcount", 1],
    ["'it\\'s a dog-eat-dog world, 42 times' | wordcount", 9],
    ["'<b>x</b>&nbsp;y &copy; &unknown; &#0; &#xD800;' | striptags", 'x y © &unknown; � �'],
    ["'x' | forceescape | escape", 'x'],
    ['10 | center(5)', '  10 '],
    ["'a,b' | regex_replace(',', ' ') | wordcount", 2],
    ['1e10 | filesizeformat', '10.0 GB'],
    ['1e10 | filesizeformat(true)', '9.3 GiB'],
    ['-5 | filesizeformat', '-5 Bytes'],
  ]),
);

t.test('edge cases checked against Ansible: errors', async (t) => failures(t, [["'x' * 25 | wordwrap(10)", /cannot multiply string and string/]]));
