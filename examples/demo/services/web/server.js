// The demo's web service: answers with a greeting from its environment, and /healthz.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 7080);
const greeting = process.env.GREETING ?? 'Hello';

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`${greeting}\n`);
});
server.listen(port, '127.0.0.1', () => console.log(`web listening on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
