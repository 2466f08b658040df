/**
 * IIS 10's custom error pages as a Web-Server install writes them to
 * C:\inetpub\custerr\en-US\<status>.htm — the pages CustomErrorModule sends
 * remote clients (errorMode="DetailedLocalOnly": a remote client gets
 * these files, not the detailed page). The image's files are generated
 * from here (src/images/base/tree.ts) and the site serves the files
 * (site.ts), so a page a user edits is what is served.
 *
 * Facts: every page shares one XHTML 1.0 Strict layout (a grey "Server
 * Error" header, the status line in an <h2>, the explanation in an
 * <h3>), ISO-8859-1, CRLF line ends, one CRLF after </html>. The byte
 * counts check out against responses captured from IIS 10 servers:
 * 404.htm is 1245 bytes (the Content-Length of IIS's 404) and 501.htm
 * 1508 bytes (a TRACE answered by IIS 10). The texts of each status were
 * compared across several published captures of the installed pages.
 * No other pages (401.1, 403.14 …) exist as files: IIS sends the page of
 * the main status code whatever the substatus.
 */

/** [title and <h2> text, <h3> text] of each page IIS 10 installs, by status. */
const PAGES: Readonly<Record<number, readonly [string, string]>> = {
  401: ['401 - Unauthorized: Access is denied due to invalid credentials.', 'You do not have permission to view this directory or page using the credentials that you supplied.'],
  403: ['403 - Forbidden: Access is denied.', 'You do not have permission to view this directory or page using the credentials that you supplied.'],
  404: ['404 - File or directory not found.', 'The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.'],
  405: ['405 - HTTP verb used to access this page is not allowed.', 'The page you are looking for cannot be displayed because an invalid method (HTTP verb) was used to attempt access.'],
  406: ['406 - Client browser does not accept the MIME type of the requested page.', 'The page you are looking for cannot be opened by your browser because it has a file name extension that your browser does not accept.'],
  412: [
    '412 - Precondition set by the client failed when evaluated on the Web server.',
    'The request was not completed due to preconditions that are set in the request header. Preconditions prevent the requested method from being applied to a resource other than the one intended. An example of a precondition is testing for expired content in the page cache of the client.',
  ],
  500: ['500 - Internal server error.', 'There is a problem with the resource you are looking for, and it cannot be displayed.'],
  501: [
    '501 - Header values specify a method that is not implemented.',
    'The page you are looking for cannot be displayed because a header value in the request does not match certain configuration settings on the Web server. For example, a request header might specify a POST to a static file that cannot be posted to, or specify a Transfer-Encoding value that cannot make use of compression.',
  ],
  502: [
    '502 - Web server received an invalid response while acting as a gateway or proxy server.',
    'There is a problem with the page you are looking for, and it cannot be displayed. When the Web server (while acting as a gateway or proxy) contacted the upstream content server, it received an invalid response from the content server.',
  ],
};

/** The statuses that have a page in C:\inetpub\custerr\en-US, in the order a directory listing shows them. */
export const CUSTERR_STATUSES: readonly number[] = Object.keys(PAGES).map(Number);

function page(title: string, detail: string): string {
  return [
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml">',
    '<head>',
    '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>',
    `<title>${title}</title>`,
    '<style type="text/css">',
    '<!--',
    'body{margin:0;font-size:.7em;font-family:Verdana, Arial, Helvetica, sans-serif;background:#EEEEEE;}',
    'fieldset{padding:0 15px 10px 15px;} ',
    'h1{font-size:2.4em;margin:0;color:#FFF;}',
    'h2{font-size:1.7em;margin:0;color:#CC0000;} ',
    'h3{font-size:1.2em;margin:10px 0 0 0;color:#000000;} ',
    '#header{width:96%;margin:0 0 0 0;padding:6px 2% 6px 2%;font-family:"trebuchet MS", Verdana, sans-serif;color:#FFF;',
    'background-color:#555555;}',
    '#content{margin:0 0 0 2%;position:relative;}',
    '.content-container{background:#FFF;width:96%;margin-top:8px;padding:10px;position:relative;}',
    '-->',
    '</style>',
    '</head>',
    '<body>',
    '<div id="header"><h1>Server Error</h1></div>',
    '<div id="content">',
    ' <div class="content-container"><fieldset>',
    `  <h2>${title}</h2>`,
    `  <h3>${detail}</h3>`,
    ' </fieldset></div>',
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\r\n');
}

/** The text of C:\inetpub\custerr\en-US\<code>.htm as IIS 10 installs it; undefined for a status without a page. */
export function customErrorPage(code: number): string | undefined {
  const t = PAGES[code];
  return t ? page(t[0], t[1]) : undefined;
}
