/**
 * IIS 10's static content MIME map (applicationHost.config
 * <staticContent>, the entries a Server Core install ships), lower-case
 * extensions with the dot. A file whose extension is not here is not
 * served: IIS answers 404.3 ("the MIME map policy prevents this request").
 */
export const IIS_MIME_MAP: ReadonlyMap<string, string> = new Map([
  ['.323', 'text/h323'], ['.3g2', 'video/3gpp2'], ['.3gp', 'video/3gpp'], ['.7z', 'application/x-7z-compressed'],
  ['.aac', 'audio/aac'], ['.avi', 'video/x-msvideo'], ['.bmp', 'image/bmp'], ['.cab', 'application/vnd.ms-cab-compressed'],
  ['.css', 'text/css'], ['.csv', 'text/csv'], ['.doc', 'application/msword'],
  ['.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'], ['.dll', 'application/x-msdownload'],
  ['.eot', 'application/vnd.ms-fontobject'], ['.exe', 'application/octet-stream'], ['.gif', 'image/gif'], ['.gz', 'application/x-gzip'],
  ['.htm', 'text/html'], ['.html', 'text/html'], ['.ico', 'image/x-icon'], ['.jpe', 'image/jpeg'], ['.jpeg', 'image/jpeg'], ['.jpg', 'image/jpeg'],
  ['.js', 'application/javascript'], ['.json', 'application/json'], ['.m4a', 'audio/mp4'], ['.m4v', 'video/mp4'], ['.mp3', 'audio/mpeg'],
  ['.mp4', 'video/mp4'], ['.mpeg', 'video/mpeg'], ['.mpg', 'video/mpeg'], ['.msi', 'application/octet-stream'], ['.oga', 'audio/ogg'],
  ['.ogg', 'video/ogg'], ['.ogv', 'video/ogg'], ['.otf', 'font/otf'], ['.pdf', 'application/pdf'], ['.png', 'image/png'],
  ['.ppt', 'application/vnd.ms-powerpoint'], ['.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  ['.rtf', 'application/rtf'], ['.svg', 'image/svg+xml'], ['.svgz', 'image/svg+xml'], ['.tif', 'image/tiff'], ['.tiff', 'image/tiff'],
  ['.ttf', 'application/octet-stream'], ['.txt', 'text/plain'], ['.wav', 'audio/wav'], ['.webm', 'video/webm'], ['.wmv', 'video/x-ms-wmv'],
  ['.woff', 'font/x-woff'], ['.woff2', 'application/font-woff2'], ['.xaml', 'application/xaml+xml'], ['.xls', 'application/vnd.ms-excel'],
  ['.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], ['.xml', 'text/xml'], ['.xsl', 'text/xml'],
  ['.zip', 'application/x-zip-compressed'],
]);

/** The Content-Type IIS serves `fileName` with, undefined: not in the map (404.3). */
export function mimeTypeFor(fileName: string): string | undefined {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0 || dot < fileName.lastIndexOf('\\')) return undefined;
  return IIS_MIME_MAP.get(fileName.slice(dot).toLowerCase());
}
