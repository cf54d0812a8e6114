import type Docker from 'dockerode';
import type { ContainerSpec } from './kinds/index.js';

/**
 * The Docker Engine API fields for a container's host settings (kinds/container-host.ts): set on
 * the create body and its HostConfig, only where the spec says something, so an engine's own
 * defaults stay in charge otherwise. Pure.
 */
export function applyHostSettings(
  spec: ContainerSpec,
  options: Docker.ContainerCreateOptions,
  host: Docker.HostConfig,
): void {
  if (spec.hostname !== undefined) options.Hostname = spec.hostname;
  if (spec.domainname !== undefined) options.Domainname = spec.domainname;
  if (spec.stdinOpen !== undefined) options.OpenStdin = spec.stdinOpen;
  if (spec.tty !== undefined) options.Tty = spec.tty;
  // dockerode sends the create options as the query string too, which is where the engine reads it.
  if (spec.platform !== undefined) options.platform = spec.platform;
  for (const port of spec.expose ?? []) {
    options.ExposedPorts = { ...options.ExposedPorts, [`${port.containerPort}/${port.protocol}`]: {} };
  }
  if (spec.capAdd !== undefined) host.CapAdd = spec.capAdd;
  if (spec.capDrop !== undefined) host.CapDrop = spec.capDrop;
  if (spec.sysctls !== undefined) host.Sysctls = spec.sysctls;
  if (spec.runtime !== undefined) host.Runtime = spec.runtime;
  if (spec.privileged !== undefined) host.Privileged = spec.privileged;
  if (spec.devices !== undefined) {
    host.Devices = spec.devices.map((d) => ({
      PathOnHost: d.hostPath,
      PathInContainer: d.containerPath,
      CgroupPermissions: d.permissions,
    }));
  }
  if (spec.shmSize !== undefined) host.ShmSize = spec.shmSize;
  if (spec.ulimits !== undefined) {
    host.Ulimits = Object.entries(spec.ulimits).map(([Name, l]) => ({ Name, Soft: l.soft, Hard: l.hard }));
  }
  if (spec.extraHosts !== undefined) host.ExtraHosts = spec.extraHosts;
  if (spec.dns !== undefined) host.Dns = spec.dns;
  if (spec.dnsSearch !== undefined) host.DnsSearch = spec.dnsSearch;
  if (spec.dnsOptions !== undefined) host.DnsOptions = spec.dnsOptions;
  if (spec.init !== undefined) host.Init = spec.init;
  if (spec.logging !== undefined)
    host.LogConfig = { Type: spec.logging.driver, Config: spec.logging.options };
}

/** The endpoint settings of one network attachment: aliases and, when fixed, its addresses. */
export function endpointConfig(attachment: {
  aliases: string[];
  ipv4Address?: string | undefined;
  ipv6Address?: string | undefined;
}): Docker.EndpointSettings {
  const endpoint: Docker.EndpointSettings = { Aliases: attachment.aliases };
  if (attachment.ipv4Address !== undefined || attachment.ipv6Address !== undefined) {
    endpoint.IPAMConfig = {
      ...(attachment.ipv4Address === undefined ? {} : { IPv4Address: attachment.ipv4Address }),
      ...(attachment.ipv6Address === undefined ? {} : { IPv6Address: attachment.ipv6Address }),
    };
  }
  return endpoint;
}
