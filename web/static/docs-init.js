// Starts Swagger UI on the API's own OpenAPI document (served without a CDN).
window.SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui' });
