// Delivery (DORA) figures over HTTP: the API route and the Prometheus histograms.
export { attachDeliveryMetrics } from './prometheus.js';
export { deliveryRoutes } from './routes.js';
