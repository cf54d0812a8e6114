// The dashboard's static files: hashed assets, index.html with the SPA fallback, and where they are.
export { CONTENT_SECURITY_POLICY, type DashboardRouteOptions, dashboardRoutes, IMMUTABLE } from './routes.js';
export { defaultWebRoot } from './web-root.js';
