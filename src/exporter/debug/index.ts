export { DebugExporter, type DebugExporterOptions } from './debugExporter';
export { DEBUG_ATTRIBUTES, formatRequest } from './format';
