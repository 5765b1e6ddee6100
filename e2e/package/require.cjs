// CommonJS code requiring the package (Node ≥ 20.19 loads ES modules through require).
const shadernet = require('shadernet');
const missing = ['Sequential', 'Dense', 'loadModel', 'makeCircles'].filter((name) => typeof shadernet[name] !== 'function');
console.log(JSON.stringify({ missing, version: shadernet.SHADERNET_VERSION }));
